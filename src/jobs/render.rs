//! Step 4: render the quotation PDF and store it.

use anyhow::Context;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::pipeline::render::{self, RenderContext};
use crate::quotations::store;
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let Some(rfp) = steps::begin(app, job, &["rendering"], "rendering").await? else {
        return steps::skip(app, job).await;
    };
    let record = store::load_by_rfp(&app.pool, rfp)
        .await?
        .ok_or_else(|| StepError::Permanent("no quotation to render".into()))?;
    let settings = app.settings.clone();
    let view = record.view.clone();
    let pdf = tokio::task::spawn_blocking(move || {
        let terms = crate::templates::quotation_terms(&settings);
        let ctx = RenderContext {
            company: &settings.company,
            tax_label: &settings.pricing.tax_label,
            terms: &terms,
        };
        render::render(&view, &ctx)
    })
    .await
    .context("render task")?
    .context("render")?;
    let mut tx = steps::commit_tx(app, job).await?;
    store::set_pdf(&mut tx, record.id, &pdf).await?;
    steps::finish(&mut tx, app, job, rfp, "done", None).await?;
    tx.commit().await?;
    metrics::counter!("horme_quotations_rendered_total").increment(1);
    tracing::info!(number = %record.number, bytes = pdf.len(), "quotation rendered");
    Ok(())
}
