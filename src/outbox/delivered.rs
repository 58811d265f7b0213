//! After a delivery, whatever the channel: the quotation reaching the customer makes it
//! `sent`. The drainer enqueues an `outbox.sent` job in the transaction that records the
//! delivery; the job moves the quotation through the lifecycle with the reply's channel.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Row;
use crate::jobs::StepError;
use crate::jobs::queue::{self, Job, NewJob};
use crate::quotations::{Actor, LifecycleError, lifecycle};
use crate::startup::App;

/// The job kind that marks a delivered quotation sent.
pub const SENT: &str = "outbox.sent";

/// In the drainer's transaction: a delivered quotation reply enqueues its `outbox.sent` job.
pub async fn after_sent(conn: &mut PgConnection, app: &App, row: &Row) -> Result<(), sqlx::Error> {
    if row.kind != "quotation" || row.quotation_id.is_none() {
        return Ok(());
    }
    queue::enqueue(
        conn,
        NewJob {
            kind: SENT,
            payload: json!({"outbox_id": row.id, "quotation_id": row.quotation_id, "channel": row.channel}),
            rfp_id: None,
            dedupe_key: Some(format!("{SENT}:{}", row.id)),
            priority: 1,
            max_attempts: app.settings.workers.max_attempts,
        },
    )
    .await?;
    Ok(())
}

/// Runs an `outbox.sent` job.
pub async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let q = job
        .payload
        .get("quotation_id")
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| StepError::Permanent("job payload has no quotation_id".into()))?;
    let channel = job.payload.get("channel").and_then(|v| v.as_str()).unwrap_or("email");
    let number = sqlx::query_scalar!("select number from quotations where id = $1", q)
        .fetch_optional(&app.pool)
        .await?;
    if let Some(number) = number {
        match lifecycle::mark_sent(app, &number, &Actor::system("outbox"), channel).await {
            Ok(_) | Err(LifecycleError::InvalidTransition { .. }) | Err(LifecycleError::NotFound(_)) => {}
            Err(LifecycleError::Database(e)) => return Err(e.into()),
            Err(e) => return Err(StepError::Permanent(e.to_string())),
        }
    }
    crate::jobs::steps::complete_held(app, job).await
}
