//! The HTTP API: RFP upload and status, quotation PDFs, health and metrics; and the server
//! loop that keeps it answering under slow or numerous clients ([`server`]).

mod auth;
mod error;
mod guard;
mod health;
mod idempotency;
mod metrics;
mod quotations;
mod rfps;
pub mod server;

use std::sync::Arc;
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

/// The whole API; `/metrics` is left out when `http.metrics_bind` puts it on an address of
/// its own ([`metrics_router`]).
pub fn router(state: HttpState) -> Router {
    let settings = &state.app.settings.http;
    let uploads = Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent_uploads));
    let upload = post(rfps::upload).route_layer(axum::middleware::from_fn_with_state(uploads, guard::upload_slot));
    let api = Router::new()
        .route("/api/rfps", upload)
        .route("/api/rfps/{id}", get(rfps::status))
        .route("/api/quotations/{number}", get(quotations::show))
        .route("/api/quotations/{number}/pdf", get(quotations::pdf))
        .merge(crate::slack::http::routes())
        .merge(crate::telegram::webhook::routes())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), guard::database))
        // Multipart framing adds a little to the file itself.
        .layer(DefaultBodyLimit::max(settings.max_upload_bytes + 64 * 1024));
    let mut router = Router::new()
        .merge(api)
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready));
    if settings.metrics_bind.trim().is_empty() {
        router = router.route("/metrics", get(metrics::render));
    }
    finish(router, state)
}

/// `/metrics` alone, for `http.metrics_bind`.
pub fn metrics_router(state: HttpState) -> Router {
    finish(Router::new().route("/metrics", get(metrics::render)), state)
}

fn finish(router: Router<HttpState>, state: HttpState) -> Router {
    let timeout = Duration::from_secs(state.app.settings.http.request_timeout_seconds);
    router
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .with_state(state)
}
