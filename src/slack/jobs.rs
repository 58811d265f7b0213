//! Slack's work on the shared job queue. What Slack posts to us is stored as a job before it
//! is acknowledged (store first: a crash loses nothing), deduplicated by the event id (Slack
//! retries an event it thinks we missed) or the interaction's trigger id; a worker then does
//! the slow part (downloads, the pipeline's start, a decision) with the queue's retries.

use serde_json::Value;
use sqlx::PgConnection;

use crate::jobs::StepError;
use crate::jobs::queue::{self, Job, NewJob};
use crate::startup::App;

/// An Events API `event_callback`.
pub const EVENT: &str = "slack.event";
/// A Block Kit button press (`block_actions`).
pub const INTERACTION: &str = "slack.interaction";

/// Ahead of the pipeline's steps: a person is waiting for the acknowledgement.
const PRIORITY: i16 = 5;

/// Runs one claimed Slack job; it completes itself in the transaction that writes its results.
pub async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let client = super::client(app)
        .map_err(StepError::Transient)?
        .ok_or_else(|| StepError::Transient(anyhow::anyhow!("the Slack channel is not enabled")))?;
    match job.kind.as_str() {
        EVENT => super::receive::on_event(app, &client, job).await,
        INTERACTION => super::interactions::on_interaction(app, &client, job).await,
        other => Err(StepError::Permanent(format!("unknown Slack job {other:?}"))),
    }
}

/// Stores what Slack posted as a job; false when the same key was stored before.
pub async fn store(
    conn: &mut PgConnection,
    app: &App,
    kind: &'static str,
    key: &str,
    payload: Value,
) -> Result<bool, sqlx::Error> {
    let id = queue::enqueue(
        conn,
        NewJob {
            kind,
            payload,
            rfp_id: None,
            dedupe_key: Some(format!("{kind}:{key}")),
            priority: PRIORITY,
            max_attempts: app.settings.workers.max_attempts,
        },
    )
    .await?;
    Ok(id.is_some())
}

/// The job's transaction, while it still holds its lease.
pub(super) async fn begin<'a>(app: &'a App, job: &Job) -> Result<sqlx::Transaction<'a, sqlx::Postgres>, StepError> {
    let mut tx = app.pool.begin().await?;
    if !queue::hold_lease(&mut tx, job).await? {
        return Err(StepError::LeaseLost);
    }
    Ok(tx)
}

/// A Web API error as the queue sees it: retried unless it can never succeed.
pub(super) fn channel_error(e: channels::ChannelError) -> StepError {
    if let channels::ChannelError::RateLimited { .. } = e {
        metrics::counter!("horme_channel_rate_limited_total", "channel" => "slack").increment(1);
    }
    if e.is_retryable() {
        StepError::Transient(anyhow::Error::new(e))
    } else {
        StepError::Permanent(e.to_string())
    }
}
