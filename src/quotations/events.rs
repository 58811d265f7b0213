//! Lifecycle events: every transition enqueues one `quotation.event` job in its own
//! transaction, so that whatever reacts to it (replies in the customer's thread, a draft to
//! the approvers, a notice to sales) runs exactly once, after the change is committed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::jobs::queue::{self, NewJob};

/// The job kind that carries a lifecycle event.
pub const EVENT_JOB: &str = "quotation.event";

/// What happened to a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    PendingApproval,
    Approved,
    Rejected,
    Sent,
    Accepted,
    Expired,
    Failed,
    ApprovalReminder,
}

/// The payload of a `quotation.event` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPayload {
    pub event: Event,
    pub quotation_id: Uuid,
    pub number: String,
    pub actor: String,
    pub channel: String,
    #[serde(default)]
    pub detail: Value,
}

/// Enqueues the event; `occurrence` distinguishes repeated events of one kind (reminders).
pub async fn enqueue(
    conn: &mut PgConnection,
    payload: &EventPayload,
    occurrence: &str,
    max_attempts: i32,
) -> Result<(), sqlx::Error> {
    let event = serde_json::to_value(payload.event).unwrap_or_default();
    let key = format!(
        "{EVENT_JOB}:{}:{}:{occurrence}",
        payload.quotation_id,
        event.as_str().unwrap_or("?")
    );
    queue::enqueue(
        conn,
        NewJob {
            kind: EVENT_JOB,
            payload: serde_json::to_value(payload).unwrap_or_default(),
            rfp_id: None,
            dedupe_key: Some(key),
            priority: 1,
            max_attempts,
        },
    )
    .await?;
    Ok(())
}
