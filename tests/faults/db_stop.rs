//! The database stopped for 10 s mid-batch (issue 10, acceptance): ten requests queued; once
//! two of them are in flight (the 7th inside render's final transaction, the 10th inside
//! match's — not price's, whose transaction holds the quotation counter: a request priced
//! after it would wait for that lock and the batch would stall before the stop) and others done, `pg_ctl stop -m fast`, 10 s, start. The same `horme worker` (default settings) carries
//! on: every request is quoted exactly once, all within 30 s of the database's return.

use std::time::{Duration, Instant};

use super::gate::Gates;
use super::setup::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_requests_survive_a_ten_second_database_stop() {
    let world = World::start().await;
    let pool = &world.app.pool;
    let gates = Gates::close(pool, &world.url()).await;
    let ids = world.submit(10).await;
    Gates::at(pool, ids[6], "rendering", "done").await;
    Gates::at(pool, ids[9], "matching", "pricing").await;
    let worker = world.worker(0);
    let caught = super::common::eventually(Duration::from_secs(30), || async {
        (Gates::waiting(pool).await == 2).then_some(())
    })
    .await;
    assert!(caught.is_some(), "the batch did not start\n{}", worker.log_text());
    let done_before: i64 = sqlx::query_scalar("select count(*) from rfps where status = 'done'")
        .fetch_one(pool)
        .await
        .expect("count");

    world.cluster.down();
    drop(gates); // its session ended with the server
    tokio::time::sleep(Duration::from_secs(10)).await;
    world.cluster.up();
    let recovered = Instant::now();

    let done = world.all_finished(&ids, Duration::from_secs(30)).await;
    let took = recovered.elapsed();
    assert!(
        done,
        "not finished 30 s after the database returned\n{}",
        worker.log_text()
    );
    eprintln!(
        "{done_before} of 10 done before the stop; all 10 done {:.1} s after the database returned",
        took.as_secs_f64()
    );
    world.assert_quoted_once(&ids).await;
    drop(worker);
}
