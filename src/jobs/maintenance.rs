//! The scheduled housekeeping job: expiry, approval reminders, and the retention purge.

use chrono::Utc;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::quotations::housekeeping;
use crate::retention;
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
    // after expiry: a quotation that just expired is closed now, and its clock starts
    let purged = if app.settings.retention.purges_anything() {
        retention::purge(
            &app.pool,
            &app.settings.retention,
            Utc::now(),
            "system:retention",
            "scheduler",
        )
        .await
        .map_err(|e| StepError::Transient(anyhow::Error::new(e).context("retention purge")))?
    } else {
        Vec::new()
    };
    tracing::info!(
        expired = expired.len(),
        reminded = reminded.len(),
        purged = purged.len(),
        "housekeeping done"
    );
    steps::complete(app, job).await
}
