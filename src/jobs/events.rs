//! Reactions to quotation lifecycle events (`quotation.event` jobs): the channels that answer
//! in the customer's thread or notify approvers write their outbox rows here, in the event
//! job's own transaction (so each reaction happens exactly once). Quotations from channels
//! without a reply path (the command line, the HTTP API) need no reaction: their state is
//! read back by the caller.

use super::queue::{self, Job};
use super::steps::{self, StepError};
use crate::quotations::events::EventPayload;
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let event: EventPayload = serde_json::from_value(job.payload.clone())
        .map_err(|e| StepError::Permanent(format!("malformed quotation event: {e}")))?;
    tracing::info!(number = %event.number, event = ?event.event, actor = %event.actor, "quotation event");
    let mail = crate::mail::notify::prepare(app, &event).await?;
    let chat = crate::telegram::notify::prepare(app, &event).await?;
    let slack = crate::slack::notify::prepare(app, &event).await?;
    let discord = crate::discord::notify::prepare(app, &event).await?;
    let mut tx = steps::commit_tx(app, job).await?;
    if let Some(subject) = mail {
        crate::mail::notify::on_event(&mut tx, app, &event, subject, job.id).await?;
    }
    if let Some(subject) = chat {
        crate::telegram::notify::on_event(&mut tx, app, &event, subject, job.id).await?;
    }
    if let Some(subject) = slack {
        crate::slack::notify::on_event(&mut tx, app, &event, subject, job.id).await?;
    }
    if let Some(subject) = discord {
        crate::discord::notify::on_event(&mut tx, app, &event, subject, job.id).await?;
    }
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}
