//! The PostgreSQL job queue: exclusive claims, leases that expire, backoff and the retry cap.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use horme::jobs::queue::{self, Backoff, Failure, NewJob};
use serde_json::json;
use sqlx::PgPool;

fn job(kind: &str, key: Option<String>, max_attempts: i32) -> NewJob<'_> {
    NewJob {
        kind,
        payload: json!({}),
        rfp_id: None,
        dedupe_key: key,
        priority: 0,
        max_attempts,
    }
}

async fn enqueue(pool: &PgPool, n: usize, max_attempts: i32) -> Vec<i64> {
    let mut conn = pool.acquire().await.expect("conn");
    let mut ids = Vec::new();
    for i in 0..n {
        let id = queue::enqueue(&mut conn, job("test.noop", Some(format!("k{i}")), max_attempts))
            .await
            .expect("enqueue")
            .expect("new job");
        ids.push(id);
    }
    ids
}

#[sqlx::test]
async fn dedupe_key_adds_a_job_once(pool: PgPool) {
    let mut conn = pool.acquire().await.expect("conn");
    let first = queue::enqueue(&mut conn, job("test.noop", Some("same".into()), 3))
        .await
        .expect("enqueue");
    let second = queue::enqueue(&mut conn, job("test.noop", Some("same".into()), 3))
        .await
        .expect("enqueue");
    assert!(first.is_some());
    assert_eq!(second, None);
}

#[sqlx::test]
async fn concurrent_workers_never_claim_one_job_twice(pool: PgPool) {
    let ids = enqueue(&pool, 200, 3).await;
    let mut tasks = Vec::new();
    for w in 0..6 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(j) = queue::claim(&pool, &format!("w{w}"), Duration::from_secs(60), None)
                .await
                .expect("claim")
            {
                let mut tx = pool.begin().await.expect("tx");
                assert!(queue::hold_lease(&mut tx, &j).await.expect("lease"));
                queue::complete(&mut tx, &j).await.expect("complete");
                tx.commit().await.expect("commit");
                mine.push(j.id);
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("worker"));
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), unique.len(), "a job was claimed twice");
    assert_eq!(unique, ids.into_iter().collect::<HashSet<_>>(), "every job ran");
    let attempts: Vec<i32> = sqlx::query_scalar("select attempts from jobs where status = 'done'")
        .fetch_all(&pool)
        .await
        .expect("attempts");
    assert!(attempts.iter().all(|a| *a == 1));
}

#[sqlx::test]
async fn a_dead_workers_job_is_taken_over_after_its_lease(pool: PgPool) {
    enqueue(&pool, 1, 3).await;
    let lease = Duration::from_secs(1);
    let first = queue::claim(&pool, "dies", lease, None)
        .await
        .expect("claim")
        .expect("job");
    // Within the lease nobody else gets it.
    assert!(
        queue::claim(&pool, "other", lease, None)
            .await
            .expect("claim")
            .is_none()
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let second = queue::claim(&pool, "other", Duration::from_secs(60), None)
        .await
        .expect("claim")
        .expect("taken over after the lease");
    assert_eq!(second.id, first.id);
    assert_eq!(second.attempts, 2);
    // The first worker wakes up: its lease is gone and it can commit nothing.
    let mut tx = pool.begin().await.expect("tx");
    assert!(!queue::hold_lease(&mut tx, &first).await.expect("lease check"));
    drop(tx);
    assert!(!queue::heartbeat(&pool, &first, lease).await.expect("heartbeat"));
    let backoff = Backoff {
        base: Duration::from_secs(1),
        max: Duration::from_secs(1),
    };
    assert_eq!(
        queue::fail(&pool, &first, "late", true, &backoff).await.expect("fail"),
        Failure::LeaseLost
    );
    let mut tx = pool.begin().await.expect("tx");
    assert!(queue::hold_lease(&mut tx, &second).await.expect("lease"));
    queue::complete(&mut tx, &second).await.expect("complete");
    tx.commit().await.expect("commit");
    let (status, by): (String, String) = sqlx::query_as("select status, locked_by from jobs")
        .fetch_one(&pool)
        .await
        .expect("row");
    assert_eq!((status.as_str(), by.as_str()), ("done", "other"));
}

#[sqlx::test]
async fn retries_back_off_exponentially_and_stop_at_the_cap(pool: PgPool) {
    enqueue(&pool, 1, 3).await;
    let backoff = Backoff {
        base: Duration::from_secs(10),
        max: Duration::from_secs(3600),
    };
    let mut delays = Vec::new();
    for attempt in 1..=3 {
        // Make the job due now, as if its delay had passed.
        sqlx::query("update jobs set run_at = now()")
            .execute(&pool)
            .await
            .expect("due");
        let j = queue::claim(&pool, "w", Duration::from_secs(60), None)
            .await
            .expect("claim")
            .expect("job is due");
        assert_eq!(j.attempts, attempt);
        let outcome = queue::fail(&pool, &j, &format!("boom {attempt}"), true, &backoff)
            .await
            .expect("fail");
        if attempt < 3 {
            let Failure::Retry(d) = outcome else {
                panic!("attempt {attempt}: expected a retry, got {outcome:?}")
            };
            let wait: f64 = sqlx::query_scalar("select extract(epoch from run_at - now())::float8 from jobs")
                .fetch_one(&pool)
                .await
                .expect("run_at");
            assert!(wait > d.as_secs_f64() - 2.0, "run_at {wait}s ahead, delay {d:?}");
            delays.push(d);
            // Not claimable before its time.
            assert!(
                queue::claim(&pool, "w", Duration::from_secs(60), None)
                    .await
                    .expect("claim")
                    .is_none()
            );
        } else {
            assert_eq!(outcome, Failure::Dead);
        }
    }
    assert!(delays[0] >= Duration::from_secs(10) && delays[0] < Duration::from_secs(13));
    assert!(delays[1] >= Duration::from_secs(20) && delays[1] < Duration::from_secs(26));
    let (status, error): (String, String) = sqlx::query_as("select status, last_error from jobs")
        .fetch_one(&pool)
        .await
        .expect("row");
    assert_eq!(status, "dead");
    assert_eq!(error, "boom 3", "the dead job keeps its last error");
    sqlx::query("update jobs set run_at = now()")
        .execute(&pool)
        .await
        .expect("due");
    assert!(
        queue::claim(&pool, "w", Duration::from_secs(60), None)
            .await
            .expect("claim")
            .is_none()
    );
}

#[sqlx::test]
async fn a_released_job_is_queued_again_without_counting_the_attempt(pool: PgPool) {
    enqueue(&pool, 1, 3).await;
    let j = queue::claim(&pool, "w", Duration::from_secs(60), None)
        .await
        .expect("claim")
        .expect("job");
    queue::release(&pool, &j).await.expect("release");
    let again = queue::claim(&pool, "w2", Duration::from_secs(60), None)
        .await
        .expect("claim")
        .expect("job");
    assert_eq!(again.id, j.id);
    assert_eq!(again.attempts, 1);
}

#[sqlx::test]
async fn a_worker_pool_runs_a_request_to_the_end_and_stops_on_shutdown(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    common::import_demo_catalog(&app).await;
    let msg = horme::cli::message_from_file(
        &common::fixture("corpus/rfps/rfp-000.txt"),
        None,
        &horme::mail::staff::Staff::default(),
    )
    .expect("message");
    let stored = horme::ingest::store(&pool, &msg, 3).await.expect("store");
    let shutdown = tokio_util::sync::CancellationToken::new();
    let workers = tokio::spawn(horme::jobs::worker::run_pool(app.clone(), 2, shutdown.clone()));
    let status = common::eventually(Duration::from_secs(30), || {
        let pool = pool.clone();
        async move {
            let s: String = sqlx::query_scalar("select status from rfps where id = $1")
                .bind(stored.rfp_id)
                .fetch_one(&pool)
                .await
                .ok()?;
            (s == "done" || s == "failed").then_some(s)
        }
    })
    .await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), workers)
        .await
        .expect("workers stop promptly")
        .expect("join");
    assert_eq!(status.as_deref(), Some("done"));
    let runs: Vec<(String, i32)> = sqlx::query_as("select kind, attempts from jobs order by id")
        .fetch_all(&pool)
        .await
        .expect("jobs");
    let kinds: Vec<&str> = runs.iter().map(|(k, _)| k.as_str()).collect();
    // The four pipeline steps, then the lifecycle event of the new quotation (which the pool
    // may or may not have run before the shutdown).
    assert_eq!(
        kinds,
        ["rfp.extract", "rfp.match", "rfp.price", "rfp.render", "quotation.event"]
    );
    assert!(runs.iter().take(4).all(|(_, a)| *a == 1), "{runs:?}");
}

/// The heartbeat never waits for the job's own final transaction: while that transaction
/// holds the job's row (after `hold_lease`), a beat that waited for the lock would wait for
/// the very work it keeps alive (the worker polls the beat and the work in one task).
#[sqlx::test]
async fn the_heartbeat_does_not_wait_for_the_jobs_own_final_transaction(pool: PgPool) {
    enqueue(&pool, 1, 3).await;
    let lease = Duration::from_secs(30);
    let j = queue::claim(&pool, "w", lease, None)
        .await
        .expect("claim")
        .expect("a job");
    let mut tx = pool.begin().await.expect("tx");
    assert!(queue::hold_lease(&mut tx, &j).await.expect("hold"));
    let beat = tokio::time::timeout(Duration::from_secs(5), queue::heartbeat(&pool, &j, lease))
        .await
        .expect("the beat returns at once instead of waiting for the row lock");
    assert!(beat.expect("heartbeat"), "the lease is still ours");
    queue::complete(&mut tx, &j).await.expect("complete");
    tx.commit().await.expect("commit");
    assert!(
        !queue::heartbeat(&pool, &j, lease).await.expect("heartbeat"),
        "a finished job's lease is gone"
    );
}
