//! A job queue on PostgreSQL (DESIGN §7.7), after crates.io's: `FOR UPDATE SKIP LOCKED`
//! dequeue, a lease (`locked_until` + a per-attempt `lease_token`) instead of a held
//! transaction, exponential backoff with jitter, capped attempts, dead jobs kept with their
//! last error, and `NOTIFY horme_jobs` on enqueue for `LISTEN`ing workers.
//!
//! A worker that dies leaves its job `running` with an expiring lease; the next claim after
//! `locked_until` takes it over. Results are written together with [`complete`] in the
//! step's own transaction, fenced by the lease token, so a worker that lost its lease cannot
//! commit anything.

use std::time::Duration;

use rand::Rng;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The channel on which new jobs are announced.
pub const JOBS_CHANNEL: &str = "horme_jobs";

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: Value,
    pub rfp_id: Option<Uuid>,
    pub attempts: i32,
    pub max_attempts: i32,
    /// How often the job was taken from a process that stopped while running it.
    pub takeovers: i32,
    pub lease_token: Uuid,
}

#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: Value,
    pub rfp_id: Option<Uuid>,
    /// At most one job per key ever exists (e.g. `extract:<rfp id>`).
    pub dedupe_key: Option<String>,
    pub priority: i16,
    pub max_attempts: i32,
}

/// Retry timing.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// `base × 2^(attempt−1)`, capped, with up to 25 % jitter so retries do not stampede.
    pub fn delay(&self, attempt: i32) -> Duration {
        let exp = 2u32.saturating_pow((attempt.max(1) - 1).min(30) as u32);
        let raw = self.base.saturating_mul(exp).min(self.max);
        let jitter = rand::rng().random_range(0.0..0.25);
        raw.mul_f64(1.0 + jitter).min(self.max)
    }
}

/// Enqueues a job in the caller's transaction; a job with the same dedupe key is not added
/// twice. Returns the new job's id, if one was added.
pub async fn enqueue(conn: &mut PgConnection, job: NewJob<'_>) -> Result<Option<i64>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"insert into jobs (kind, payload, rfp_id, dedupe_key, priority, max_attempts)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (dedupe_key) do nothing
           returning id"#,
        job.kind,
        job.payload,
        job.rfp_id,
        job.dedupe_key,
        job.priority,
        job.max_attempts
    )
    .fetch_optional(&mut *conn)
    .await?;
    if id.is_some() {
        sqlx::query!("select pg_notify($1, $2)", JOBS_CHANNEL, job.kind)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Claims the next due job (or one whose lease expired). `only_rfp` restricts the claim to
/// the jobs of one request (the one-shot CLI drains its own request this way).
pub async fn claim(
    pool: &PgPool,
    worker: &str,
    lease: Duration,
    only_rfp: Option<Uuid>,
) -> Result<Option<Job>, sqlx::Error> {
    let lease_secs = lease.as_secs_f64();
    let token = Uuid::new_v4();
    let row = sqlx::query!(
        r#"
        update jobs set status = 'running', attempts = attempts + 1,
               takeovers = takeovers + case when status = 'running' then 1 else 0 end,
               locked_until = now() + make_interval(secs => $1), locked_by = $2, lease_token = $3
        where id = (
            select id from jobs
            where ((status = 'queued' and run_at <= now())
                   or (status = 'running' and locked_until < now()))
              and ($4::uuid is null or rfp_id = $4)
            order by priority desc, run_at, id
            for update skip locked
            limit 1)
        returning id, kind, payload, rfp_id, attempts, max_attempts, takeovers
        "#,
        lease_secs,
        worker,
        token,
        only_rfp
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Job {
        id: r.id,
        kind: r.kind,
        payload: r.payload,
        rfp_id: r.rfp_id,
        attempts: r.attempts,
        max_attempts: r.max_attempts,
        takeovers: r.takeovers,
        lease_token: token,
    }))
}

/// Whether the caller still holds the job's lease; locks the job row for the rest of the
/// transaction so that nobody can take it over mid-commit.
pub async fn hold_lease(conn: &mut PgConnection, job: &Job) -> Result<bool, sqlx::Error> {
    let held = sqlx::query_scalar!(
        "select 1 as \"one!\" from jobs where id = $1 and lease_token = $2 and status = 'running' for update",
        job.id,
        job.lease_token
    )
    .fetch_optional(conn)
    .await?;
    Ok(held.is_some())
}

/// Marks the job done, in the caller's transaction (after [`hold_lease`]).
pub async fn complete(conn: &mut PgConnection, job: &Job) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update jobs set status = 'done', finished_at = now(), locked_until = null,
                  lease_token = null, last_error = null
           where id = $1 and lease_token = $2"#,
        job.id,
        job.lease_token
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Scheduled again after the delay.
    Retry(Duration),
    /// No attempts left (or not retryable): kept as `dead` with its error.
    Dead,
    /// Someone else holds the lease now: nothing was changed.
    LeaseLost,
}

/// Records a failed attempt: back to the queue with backoff, or dead.
pub async fn fail(
    pool: &PgPool,
    job: &Job,
    error: &str,
    retryable: bool,
    backoff: &Backoff,
) -> Result<Failure, sqlx::Error> {
    let dead = !retryable || job.attempts >= job.max_attempts;
    let delay = backoff.delay(job.attempts);
    let updated = sqlx::query!(
        r#"update jobs set
               status = case when $3 then 'dead' else 'queued' end,
               run_at = case when $3 then run_at else now() + make_interval(secs => $4) end,
               finished_at = case when $3 then now() else null end,
               locked_until = null, lease_token = null, last_error = $5
           where id = $1 and lease_token = $2"#,
        job.id,
        job.lease_token,
        dead,
        delay.as_secs_f64(),
        error
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(match (updated, dead) {
        (0, _) => Failure::LeaseLost,
        (_, true) => Failure::Dead,
        (_, false) => Failure::Retry(delay),
    })
}

/// Gives an unfinished job back at shutdown: queued again at once, the attempt not counted.
pub async fn release(pool: &PgPool, job: &Job) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update jobs set status = 'queued', attempts = greatest(attempts - 1, 0), run_at = now(),
                  locked_until = null, lease_token = null
           where id = $1 and lease_token = $2"#,
        job.id,
        job.lease_token
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Extends the lease of a long-running job; false if the lease was lost.
///
/// Never waits for a row lock: while the job's own final transaction holds its row
/// ([`hold_lease`]), the beat is skipped (that transaction already proves the lease). A beat
/// that waited there would wait for the very work it keeps alive.
pub async fn heartbeat(pool: &PgPool, job: &Job, lease: Duration) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "update jobs set locked_until = now() + make_interval(secs => $3)
         where id = (select id from jobs where id = $1 and lease_token = $2 and status = 'running'
                     for update skip locked)",
        job.id,
        job.lease_token,
        lease.as_secs_f64()
    )
    .execute(pool)
    .await?
    .rows_affected();
    if n == 1 {
        return Ok(true);
    }
    // skipped (row locked) or lost: a plain read tells which, without waiting
    let held = sqlx::query_scalar!(
        r#"select exists(select 1 from jobs where id = $1 and lease_token = $2 and status = 'running') as "e!""#,
        job.id,
        job.lease_token
    )
    .fetch_one(pool)
    .await?;
    Ok(held)
}

/// Job counts by status, for metrics and the health view.
pub async fn counts(pool: &PgPool) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(r#"select kind, status, count(*) as "n!" from jobs group by kind, status order by 1, 2"#)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.status, r.n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Backoff {
            base: Duration::from_secs(5),
            max: Duration::from_secs(60),
        };
        let d1 = b.delay(1);
        let d2 = b.delay(2);
        let d3 = b.delay(3);
        assert!(d1 >= Duration::from_secs(5) && d1 <= Duration::from_millis(6250));
        assert!(d2 >= Duration::from_secs(10) && d2 <= Duration::from_millis(12500));
        assert!(d3 >= Duration::from_secs(20) && d3 <= Duration::from_secs(25));
        assert_eq!(b.delay(30), Duration::from_secs(60));
        assert_eq!(b.delay(1000), Duration::from_secs(60));
    }
}
