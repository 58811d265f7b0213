//! Reactions to quotation lifecycle events (`quotation.event` jobs). The channels that answer
//! in the customer's thread or notify approvers hook in here; quotations from channels
//! without a reply path (the command line, the HTTP API) need no reaction: their state is
//! read back by the caller.

use super::queue::Job;
use super::steps::{self, StepError};
use crate::quotations::events::EventPayload;
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let event: EventPayload = serde_json::from_value(job.payload.clone())
        .map_err(|e| StepError::Permanent(format!("malformed quotation event: {e}")))?;
    tracing::info!(number = %event.number, event = ?event.event, actor = %event.actor, "quotation event");
    steps::complete(app, job).await
}
