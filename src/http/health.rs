//! Liveness and readiness.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use super::HttpState;

/// The process is up.
pub async fn live() -> &'static str {
    "ok"
}

/// The database answers, within `http.database_wait_ms`.
pub async fn ready(State(state): State<HttpState>) -> (StatusCode, &'static str) {
    let wait = Duration::from_millis(state.app.settings.http.database_wait_ms);
    let check = sqlx::query_scalar!("select 1 as \"one!\"").fetch_one(&state.app.pool);
    match tokio::time::timeout(wait, check).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("not ready: no database answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
