//! The quotation PDF of a stored quotation, with the company block, logo and terms of the
//! configuration: rendered off the async threads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::RawImage;

use crate::config::Settings;
use crate::pipeline::quotation::Quotation;
use crate::pipeline::render::{self, RenderContext, RenderError};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("cannot use the company logo {path}: {reason}")]
    Logo { path: String, reason: String },
    #[error("the render task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

pub async fn render_pdf(settings: Arc<Settings>, view: Quotation) -> Result<Vec<u8>, DocumentError> {
    let pdf = tokio::task::spawn_blocking(move || render_now(&settings, &view)).await??;
    Ok(pdf)
}

/// Renders on the calling thread (benchmarks and tools; jobs use [`render_pdf`]).
pub fn render_now(settings: &Settings, view: &Quotation) -> Result<Vec<u8>, DocumentError> {
    let logo = settings.company.logo.as_deref().map(logo).transpose()?;
    let terms = crate::templates::quotation_terms(settings);
    let ctx = RenderContext {
        company: &settings.company,
        tax_label: &settings.pricing.tax_label,
        terms: &terms,
        logo: logo.as_deref(),
    };
    Ok(render::render(view, &ctx)?)
}

/// The decoded logo, read and decoded once per process and path.
pub fn logo(path: &Path) -> Result<Arc<RawImage>, DocumentError> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<RawImage>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(img) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
        return Ok(img);
    }
    let err = |reason: String| DocumentError::Logo {
        path: path.display().to_string(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let img = Arc::new(RawImage::decode_from_bytes(&bytes, &mut Vec::new()).map_err(err)?);
    if let Ok(mut c) = cache.lock() {
        c.insert(path.to_path_buf(), Arc::clone(&img));
    }
    Ok(img)
}
