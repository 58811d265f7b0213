//! The quotation PDF of a stored quotation, with the company block and terms of the
//! configuration: rendered off the async threads.

use std::sync::Arc;

use crate::config::Settings;
use crate::pipeline::quotation::Quotation;
use crate::pipeline::render::{self, RenderContext, RenderError};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("the render task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

pub async fn render_pdf(settings: Arc<Settings>, view: Quotation) -> Result<Vec<u8>, DocumentError> {
    let pdf = tokio::task::spawn_blocking(move || {
        let terms = crate::templates::quotation_terms(&settings);
        let ctx = RenderContext {
            company: &settings.company,
            tax_label: &settings.pricing.tax_label,
            terms: &terms,
        };
        render::render(&view, &ctx)
    })
    .await??;
    Ok(pdf)
}
