//! Step 4: render the quotation PDF and store it.

use anyhow::Context;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::quotations::{Status, document, lifecycle, store};
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let Some(rfp) = steps::begin(app, job, &["rendering"], "rendering").await? else {
        return steps::skip(app, job).await;
    };
    let record = store::load_by_rfp(&app.pool, rfp)
        .await?
        .ok_or_else(|| StepError::Permanent("no quotation to render".into()))?;
    let pdf = document::render_pdf(app.settings.clone(), record.view.clone())
        .await
        .context("rendering the quotation")?;
    let mut tx = steps::commit_tx(app, job).await?;
    store::set_pdf(&mut tx, record.id, &pdf).await?;
    if record.status == Status::Draft.as_str() {
        lifecycle::submit_for_approval(&mut tx, app, &record.number, &record.view)
            .await
            .context("submitting for approval")?;
    }
    steps::finish(&mut tx, app, job, rfp, "done", None).await?;
    tx.commit().await?;
    metrics::counter!("horme_quotations_rendered_total").increment(1);
    tracing::info!(number = %record.number, bytes = pdf.len(), "quotation rendered");
    Ok(())
}
