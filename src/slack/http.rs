//! Slack's requests to us, on the HTTP server: `POST /slack/events` (the Events API) and
//! `POST /slack/interactions` (button presses). Each is checked against the signing secret
//! (401 otherwise), stored as a job deduplicated by its event id or trigger id, and answered
//! 200 at once — well within Slack's three seconds; a worker does the rest. When the database
//! cannot store it, the answer is 5xx and Slack delivers the event again.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use secrecy::ExposeSecret;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::jobs;
use crate::http::HttpState;

/// The routes, answering 404 while the channel is off.
pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/slack/events", post(events))
        .route("/slack/interactions", post(interactions))
}

/// Whether the body's signature checks out; else the status to answer.
fn verified(state: &HttpState, headers: &HeaderMap, body: &Bytes) -> Result<(), StatusCode> {
    let s = &state.app.settings.slack;
    if !s.enabled {
        return Err(StatusCode::NOT_FOUND);
    }
    let secret = s.signing_secret().map_err(|e| {
        if s.socket_mode {
            // events come over the websocket; these endpoints are not in use
            return StatusCode::NOT_FOUND;
        }
        tracing::error!(error = %e, "no Slack signing secret");
        StatusCode::INTERNAL_SERVER_ERROR
    })?;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now().timestamp();
    channels::slack::signature::verify(
        secret.expose_secret().as_bytes(),
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
        body,
        now,
    )
    .map_err(|e| {
        tracing::warn!(error = %e, "Slack request refused");
        metrics::counter!("horme_slack_requests_refused_total").increment(1);
        StatusCode::UNAUTHORIZED
    })
}

async fn store(state: &HttpState, kind: &'static str, key: &str, payload: Value) -> Response {
    let app = &state.app;
    let stored = async {
        let mut conn = app.pool.acquire().await?;
        jobs::store(&mut conn, app, kind, key, payload).await
    }
    .await;
    match stored {
        Ok(true) => StatusCode::OK.into_response(),
        Ok(false) => {
            tracing::info!(kind, key, "Slack delivered this again: already stored");
            metrics::counter!("horme_slack_duplicates_total").increment(1);
            StatusCode::OK.into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store a Slack request; Slack will retry");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn events(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refused) = verified(&state, &headers, &body) {
        return refused.into_response();
    }
    let Ok(envelope) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match envelope.get("type").and_then(Value::as_str) {
        Some("url_verification") => {
            let challenge = envelope.get("challenge").and_then(Value::as_str).unwrap_or_default();
            axum::Json(serde_json::json!({"challenge": challenge})).into_response()
        }
        Some("event_callback") => {
            let Some(id) = envelope.get("event_id").and_then(Value::as_str).map(str::to_string) else {
                return StatusCode::BAD_REQUEST.into_response();
            };
            if let Some(n) = headers.get("x-slack-retry-num").and_then(|v| v.to_str().ok()) {
                let reason = headers
                    .get("x-slack-retry-reason")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info!(event = %id, retry = n, reason, "Slack retries an event");
            }
            store(&state, jobs::EVENT, &id, envelope).await
        }
        other => {
            tracing::debug!(kind = ?other, "Slack request ignored");
            StatusCode::OK.into_response()
        }
    }
}

async fn interactions(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refused) = verified(&state, &headers, &body) {
        return refused.into_response();
    }
    // `payload=<json>`, form-encoded
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let Some(payload) = form
        .into_iter()
        .find(|(k, _)| k == "payload")
        .and_then(|(_, v)| serde_json::from_str::<Value>(&v).ok())
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let key = payload
        .get("trigger_id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| hex::encode(Sha256::digest(&body)));
    store(&state, jobs::INTERACTION, &key, payload).await
}
