//! Middleware that answers "later" quickly instead of queueing: 503 with `Retry-After` when
//! too many uploads run at once, or when no database connection comes within
//! `http.database_wait_ms` (the pool's own acquire timeout is for workers, and much longer).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use super::{ApiError, HttpState};

/// Holds one of `http.max_concurrent_uploads` slots for the request, or answers 503.
pub async fn upload_slot(State(slots): State<Arc<Semaphore>>, req: Request, next: Next) -> Response {
    match slots.try_acquire() {
        Ok(_permit) => next.run(req).await,
        Err(_) => {
            metrics::counter!("horme_http_uploads_refused_total").increment(1);
            ApiError::Unavailable {
                message: "too many uploads at once; please retry shortly".into(),
                retry_after_seconds: 2,
            }
            .into_response()
        }
    }
}

/// Lets the request through only when a database connection is to be had quickly.
pub async fn database(State(state): State<HttpState>, req: Request, next: Next) -> Response {
    match database_ready(&state).await {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// A connection from the pool within `http.database_wait_ms` (returned at once).
pub async fn database_ready(state: &HttpState) -> Result<(), ApiError> {
    let wait = Duration::from_millis(state.app.settings.http.database_wait_ms);
    match tokio::time::timeout(wait, state.app.pool.acquire()).await {
        Ok(Ok(_conn)) => Ok(()),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "no database connection");
            Err(ApiError::database_unavailable())
        }
        Err(_) => {
            tracing::warn!(wait_ms = wait.as_millis() as u64, "no database connection in time");
            Err(ApiError::database_unavailable())
        }
    }
}
