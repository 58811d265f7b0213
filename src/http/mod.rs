//! The HTTP API: RFP upload and status, quotation PDFs, health and metrics.

mod auth;
mod error;
mod health;
mod metrics;
mod quotations;
mod rfps;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use metrics::install_recorder;

use crate::startup::App;

#[derive(Clone)]
pub struct HttpState {
    pub app: App,
    pub metrics: Option<PrometheusHandle>,
}

pub fn router(state: HttpState) -> Router {
    let settings = &state.app.settings.http;
    let api = Router::new()
        .route("/api/rfps", post(rfps::upload))
        .route("/api/rfps/{id}", get(rfps::status))
        .route("/api/quotations/{number}", get(quotations::show))
        .route("/api/quotations/{number}/pdf", get(quotations::pdf))
        // Multipart framing adds a little to the file itself.
        .layer(DefaultBodyLimit::max(settings.max_upload_bytes + 64 * 1024));
    Router::new()
        .merge(api)
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::render))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_seconds),
        ))
        .with_state(state)
}
