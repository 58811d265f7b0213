//! Prometheus metrics: jobs by state (read at scrape time), step durations, HTTP latency.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use super::HttpState;
use crate::jobs::queue;

/// Installs the process-wide recorder once and returns its handle (the same one on every
/// call; None if another recorder was installed first).
pub fn install_recorder() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                ])
                .ok()?
                .install_recorder()
                .ok()
        })
        .clone()
}

pub async fn track(req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    metrics::histogram!(
        "horme_http_request_duration_seconds",
        "method" => method,
        "path" => path,
        "status" => res.status().as_u16().to_string()
    )
    .record(started.elapsed().as_secs_f64());
    res
}

pub async fn render(State(state): State<HttpState>) -> Response {
    let Some(handle) = &state.metrics else {
        return (StatusCode::NOT_FOUND, "metrics are not enabled in this process").into_response();
    };
    match queue::counts(&state.app.pool).await {
        Ok(rows) => {
            for (kind, status, n) in rows {
                metrics::gauge!("horme_jobs", "kind" => kind, "status" => status).set(n as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot count jobs for metrics"),
    }
    (
        [(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}
