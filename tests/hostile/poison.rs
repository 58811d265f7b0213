//! A job whose process stops while running it is taken over once; the second time it is
//! dead-lettered and its request fails, never handed to a third process.

use std::time::Duration;

use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use horme::jobs::queue;
use sqlx::PgPool;

use super::common;

fn request() -> InboundMessage {
    InboundMessage {
        channel: ChannelKind::Http,
        external_id: "poison-1".into(),
        thread: ThreadRef::Http {
            request_id: "poison-1".into(),
        },
        sender: Sender {
            address: "buyer@customer.test".into(),
            display_name: None,
        },
        subject: None,
        text: String::new(),
        html: None,
        attachments: vec![Attachment {
            filename: "list.txt".into(),
            media_type: "text/plain".into(),
            content: b"Nitrile gloves size M - 20 boxes\n".to_vec(),
        }],
        raw: None,
        forwarded_by: None,
    }
}

/// Claims the request's job as a process that then "dies" (never finishes; the lease runs out).
async fn claim_and_die(pool: &PgPool, worker: &str) -> queue::Job {
    let job = queue::claim(pool, worker, Duration::from_millis(50), None)
        .await
        .expect("claim")
        .expect("a job");
    tokio::time::sleep(Duration::from_millis(120)).await;
    job
}

#[sqlx::test]
async fn the_second_stopped_process_dead_letters_the_job(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    let stored = horme::ingest::store(&pool, &request(), 5).await.expect("stored");
    let first = claim_and_die(&pool, "host:1:w0").await;
    assert_eq!(first.takeovers, 0);
    let second = claim_and_die(&pool, "host:2:w0").await;
    assert_eq!(second.takeovers, 1, "taken over once");
    let third = queue::claim(&pool, "host:3:w0", Duration::from_secs(30), None)
        .await
        .expect("claim")
        .expect("the job");
    assert_eq!(third.takeovers, 2);
    horme::jobs::run(&app, &third).await.expect("recorded");
    let row = sqlx::query!("select status, last_error from jobs where id = $1", third.id)
        .fetch_one(&pool)
        .await
        .expect("job");
    assert_eq!(row.status, "dead");
    assert_eq!(row.last_error.as_deref(), Some("the process handling it stopped twice"));
    let rfp = sqlx::query!("select status, failure_reason from rfps where id = $1", stored.rfp_id)
        .fetch_one(&pool)
        .await
        .expect("rfp");
    assert_eq!(rfp.status, "failed");
    assert_eq!(
        rfp.failure_reason.as_deref(),
        Some("the process handling it stopped twice")
    );
}

#[sqlx::test]
async fn one_stopped_process_is_retried(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    common::import_demo_catalog(&app).await;
    let stored = horme::ingest::store(&pool, &request(), 5).await.expect("stored");
    claim_and_die(&pool, "host:1:w0").await;
    let status = horme::jobs::worker::drain_rfp(&app, stored.rfp_id, Duration::from_secs(60))
        .await
        .expect("drained");
    assert_eq!(status, "done");
}

/// A job left `running` by a process on this host that is gone is taken back as soon as a
/// worker pool starts, not when its (long) lease runs out.
#[sqlx::test]
async fn a_starting_process_takes_back_what_its_dead_predecessor_held(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    common::import_demo_catalog(&app).await;
    let stored = horme::ingest::store(&pool, &request(), 5).await.expect("stored");
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "horme".into());
    let gone = 4_000_000u32;
    assert!(!std::path::Path::new(&format!("/proc/{gone}")).exists());
    queue::claim(
        &pool,
        &format!("{host}:{gone}:deadbeef:w0"),
        Duration::from_secs(600),
        None,
    )
    .await
    .expect("claim")
    .expect("the job");
    let stop = tokio_util::sync::CancellationToken::new();
    let workers = tokio::spawn(horme::jobs::worker::run_pool(app.clone(), 1, stop.clone()));
    let done = common::eventually(Duration::from_secs(30), || async {
        let status: String = sqlx::query_scalar!("select status from rfps where id = $1", stored.rfp_id)
            .fetch_one(&pool)
            .await
            .ok()?;
        (status == "done").then_some(())
    })
    .await;
    stop.cancel();
    let _ = workers.await;
    assert!(done.is_some(), "taken back and finished long before the 600 s lease");
}
