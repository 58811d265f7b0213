//! The scheduled housekeeping job: expiry and approval reminders.

use chrono::Utc;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::quotations::housekeeping;
use crate::startup::App;

/// The job kind the scheduler enqueues.
pub const MAINTENANCE: &str = "quotations.maintenance";

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let expired = housekeeping::expire_due(app, Utc::now().date_naive())
        .await
        .map_err(|e| StepError::Transient(e.into()))?;
    let reminded = housekeeping::remind_due(app)
        .await
        .map_err(|e| StepError::Transient(e.into()))?;
    tracing::info!(expired = expired.len(), reminded = reminded.len(), "housekeeping done");
    steps::complete(app, job).await
}
