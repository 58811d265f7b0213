//! The job queue and the pipeline steps that run on it.

mod events;
pub mod extract;
pub mod maintenance;
pub mod match_lines;
pub mod price;
pub mod queue;
mod render;
pub mod schedule;
pub mod steps;
pub mod worker;

pub use steps::{StepError, run};

/// Runs a CPU-heavy future (matching, rule extraction) on a blocking thread, so that the
/// async threads stay free for health checks, the API and other jobs. Its database calls
/// still work: the future runs on this runtime's handle.
pub async fn off_runtime<F>(work: F) -> Result<F::Output, tokio::task::JoinError>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(work)).await
}
