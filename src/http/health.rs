//! Liveness and readiness.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use super::HttpState;

/// The process is up.
pub async fn live() -> &'static str {
    "ok"
}

/// The database answers, within `http.database_wait_ms`, and no channel of this process
/// fails to log in (a mailbox with a wrong password: the body names it).
pub async fn ready(State(state): State<HttpState>) -> (StatusCode, String) {
    let wait = Duration::from_millis(state.app.settings.http.database_wait_ms);
    let check = sqlx::query_scalar!("select 1 as \"one!\"").fetch_one(&state.app.pool);
    match tokio::time::timeout(wait, check).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable".into());
        }
        Err(_) => {
            tracing::warn!("not ready: no database answer in time");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable".into());
        }
    }
    let failing = state.app.logins.failing();
    if failing.is_empty() {
        return (StatusCode::OK, "ready".into());
    }
    let why: Vec<String> = failing.iter().map(|(what, e)| format!("{what}: {e}")).collect();
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("login failing: {}", why.join("; ")),
    )
}
