//! Prometheus metrics: jobs by state (read at scrape time), step durations, HTTP latency.
//! Every label comes from a fixed set (the method from the standard ones, the path from the
//! matched route), so no client can grow the output; `/metrics` may need a token.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use secrecy::ExposeSecret;

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
    let method = method_label(req.method());
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

/// The method as a label: a standard method by name, anything else as "other".
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "other",
    }
}

pub async fn render(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let Some(handle) = &state.metrics else {
        return (StatusCode::NOT_FOUND, "metrics are not enabled in this process").into_response();
    };
    let token = state.app.settings.http.metrics_token.expose_secret();
    if !token.is_empty() {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .unwrap_or("");
        if !crate::config::constant_time_eq(given.as_bytes(), token.as_bytes()) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "metrics need a token",
            )
                .into_response();
        }
    }
    // job counts only when the database answers at once: a scrape never waits for it
    let wait = Duration::from_millis(state.app.settings.http.database_wait_ms);
    match tokio::time::timeout(wait, queue::counts(&state.app.pool)).await {
        Ok(Ok(rows)) => {
            for (kind, status, n) in rows {
                metrics::gauge!("horme_jobs", "kind" => kind, "status" => status).set(n as f64);
            }
        }
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot count jobs for metrics"),
        Err(_) => tracing::warn!("cannot count jobs for metrics: no database answer in time"),
    }
    (
        [(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::from_bytes(b"PATCH").expect("method")), "PATCH");
        for m in ["FOO", "GETX", "get", "BREW"] {
            assert_eq!(
                method_label(&Method::from_bytes(m.as_bytes()).expect("method")),
                "other"
            );
        }
    }
}
