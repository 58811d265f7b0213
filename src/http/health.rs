//! Liveness and readiness.

use axum::extract::State;
use axum::http::StatusCode;

use super::HttpState;

/// The process is up.
pub async fn live() -> &'static str {
    "ok"
}

/// The database answers.
pub async fn ready(State(state): State<HttpState>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar!("select 1 as \"one!\"")
        .fetch_one(&state.app.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
