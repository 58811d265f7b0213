//! `kill -9` of a `horme worker` at each pipeline step (issue 10, acceptance): at the start
//! and inside the final transaction of extract, match, price and render. Two requests per
//! round (the default two workers), each stopped at its own point; the process is killed
//! and a new one started with the default settings. Nothing is lost, each request is quoted
//! exactly once, and each round is done within 30 s of the restart.

use std::time::{Duration, Instant};

use super::gate::{Gates, POINTS};
use super::setup::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_at_each_step_loses_and_duplicates_nothing() {
    let world = World::start().await;
    let pool = &world.app.pool;
    let mut all = Vec::new();
    let mut figures = Vec::new();
    for (round, points) in POINTS.chunks(2).enumerate() {
        let gates = Gates::close(pool, &world.url()).await;
        let ids = world.submit(points.len()).await;
        for (id, (_, from, to)) in ids.iter().zip(points) {
            Gates::at(pool, *id, from, to).await;
        }
        let worker = world.worker(2 * round);
        let caught = super::common::eventually(Duration::from_secs(30), || async {
            (Gates::waiting(pool).await == points.len() as i64).then_some(())
        })
        .await;
        assert!(
            caught.is_some(),
            "round {round}: the worker did not reach {points:?}\n{}",
            worker.log_text()
        );
        let running: i64 =
            sqlx::query_scalar("select count(*) from jobs where status = 'running' and rfp_id = any($1)")
                .bind(&ids)
                .fetch_one(pool)
                .await
                .expect("jobs");
        assert_eq!(running, points.len() as i64, "round {round}: caught inside the steps");
        worker.kill();
        Gates::end_orphans(pool).await;
        gates.open(pool).await;

        let restarted = Instant::now();
        let worker = world.worker(2 * round + 1);
        let done = world.all_finished(&ids, Duration::from_secs(30)).await;
        let took = restarted.elapsed();
        assert!(
            done,
            "round {round} ({points:?}): not finished 30 s after the restart\n{}",
            worker.log_text()
        );
        let taken_over: i64 = sqlx::query_scalar("select count(*) from jobs where rfp_id = any($1) and takeovers = 1")
            .bind(&ids)
            .fetch_one(pool)
            .await
            .expect("jobs");
        assert_eq!(
            taken_over,
            points.len() as i64,
            "round {round}: each caught job taken over once"
        );
        let names: Vec<&str> = points.iter().map(|p| p.0).collect();
        figures.push(format!("{}: {:.1} s", names.join(" + "), took.as_secs_f64()));
        drop(worker);
        all.extend(ids);
    }
    eprintln!("done after the restart: {}", figures.join("; "));
    world.assert_quoted_once(&all).await;
}
