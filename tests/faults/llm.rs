//! The LLM endpoint timing out (issue 10, acceptance), against a `horme worker` with the
//! `llm` extractor (1 s timeout, no client retries and 1 s queue backoff, to keep the test
//! short): a request whose model never answers in time is retried by the queue (5 attempts,
//! the default) and then fails with the timeout as its reason — no quotation, no
//! lines, never a fall-back that pretends success; a request whose model times out once is
//! quoted once when the next attempt answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use super::common::fake_openai::{FakeOpenAi, Reply};
use super::setup::World;

const ALWAYS_SLOW: &str = "RFQ-ALWAYS-SLOW";
const SLOW_ONCE: &str = "RFQ-SLOW-ONCE";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timing_out_model_is_retried_and_fails_visibly() {
    let world = World::start().await;
    let slow_once = Arc::new(AtomicUsize::new(0));
    let fake = {
        let slow_once = slow_once.clone();
        FakeOpenAi::start(move |_, body| {
            let text = body.to_string();
            let items = Reply::items(json!([
                {"description": "Weiconlock AN 302-25 200ml", "quantity": 24, "unit": "pcs"},
                {"description": "Toilet bowl brush with holder deluxe", "quantity": 2, "unit": "pcs"}
            ]));
            let late = |r| Reply::Delayed(Duration::from_secs(3), Box::new(r));
            if text.contains(ALWAYS_SLOW) || (text.contains(SLOW_ONCE) && slow_once.fetch_add(1, Ordering::SeqCst) == 0)
            {
                late(items)
            } else {
                items
            }
        })
        .await
    };
    let slow = world
        .submit_text(&format!("{ALWAYS_SLOW}\n{}", super::setup::RFP))
        .await;
    let once = world.submit_text(&format!("{SLOW_ONCE}\n{}", super::setup::RFP)).await;
    let env = [
        ("HORME__PIPELINE__EXTRACTOR", "llm".to_string()),
        ("HORME__LLM__BASE_URL", fake.base_url.clone()),
        ("HORME__LLM__API_KEY", "sk-test".to_string()),
        ("HORME__LLM__MODEL", "test-model".to_string()),
        ("HORME__LLM__TIMEOUT_SECONDS", "1".to_string()),
        ("HORME__LLM__MAX_RETRIES", "0".to_string()),
        ("HORME__WORKERS__BACKOFF_BASE_SECONDS", "1".to_string()),
    ];
    let worker = world.worker_with(0, &env);
    let finished = world.all_finished(&[slow, once], Duration::from_secs(60)).await;
    assert!(finished, "both requests finish\n{}", worker.log_text());

    let (status, reason): (String, Option<String>) =
        sqlx::query_as("select status, failure_reason from rfps where id = $1")
            .bind(slow)
            .fetch_one(&world.app.pool)
            .await
            .expect("rfp");
    assert_eq!(status, "failed");
    let reason = reason.unwrap_or_default();
    assert!(reason.contains("gave up after 5 attempts"), "{reason}");
    assert!(reason.contains("did not answer within 1 s"), "{reason}");
    let (quotations, lines): (i64, i64) = sqlx::query_as(
        "select (select count(*) from quotations where rfp_id = $1),
                (select count(*) from requirement_lines where rfp_id = $1)",
    )
    .bind(slow)
    .fetch_one(&world.app.pool)
    .await
    .expect("counts");
    assert_eq!((quotations, lines), (0, 0), "nothing made up for the failed request");
    let asked_slow = fake
        .requests()
        .iter()
        .filter(|r| r.user_text().contains(ALWAYS_SLOW))
        .count();
    assert_eq!(asked_slow, 5, "one call per queue attempt (5, the default)");

    let (status, quotations): (String, i64) =
        sqlx::query_as("select status, (select count(*) from quotations where rfp_id = $1) from rfps where id = $1")
            .bind(once)
            .fetch_one(&world.app.pool)
            .await
            .expect("rfp");
    assert_eq!(
        (status.as_str(), quotations),
        ("done", 1),
        "timed out once, then quoted once"
    );
    assert_eq!(
        slow_once.load(Ordering::SeqCst),
        2,
        "timed out once, answered the second time"
    );
    drop(worker);
}
