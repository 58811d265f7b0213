//! Telegram updates by webhook (`telegram.webhook_url`): `POST /telegram/webhook` checks the
//! `X-Telegram-Bot-Api-Secret-Token` header (401 otherwise), stores the update as a job
//! deduplicated by its update id and answers 200 at once; a worker handles it exactly as the
//! long-polling receiver would (`receive::handle`), with the queue's retries. When the
//! database cannot store it, the answer is 503 and Telegram delivers the update again.
//! At start-up the webhook is registered (`setWebhook`, with the secret) until that succeeds.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use channels::telegram::{Bot, Incoming, Update};
use secrecy::ExposeSecret;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use crate::http::HttpState;
use crate::jobs::StepError;
use crate::jobs::queue::{self, Job, NewJob};
use crate::startup::App;

/// A stored webhook update.
pub const UPDATE: &str = "telegram.update";

/// Ahead of the pipeline's steps: a person is waiting for the acknowledgement.
const PRIORITY: i16 = 5;

/// The route, answering 404 unless the channel runs by webhook.
pub fn routes() -> Router<HttpState> {
    Router::new().route("/telegram/webhook", post(update))
}

async fn update(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Response {
    let app = &state.app;
    let t = &app.settings.telegram;
    if !t.enabled || !t.uses_webhook() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(secret) = t.webhook_secret() else {
        tracing::error!("telegram.webhook_url is set without a valid webhook secret");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // compared as digests: the time taken says nothing about the secret
    if Sha256::digest(given.as_bytes()) != Sha256::digest(secret.expose_secret().as_bytes()) {
        tracing::warn!("telegram webhook call without the right secret: refused");
        metrics::counter!("horme_telegram_webhook_refused_total").increment(1);
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Some(id) = payload.get("update_id").and_then(Value::as_i64) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let stored = async {
        let mut conn = app.pool.acquire().await?;
        queue::enqueue(
            &mut conn,
            NewJob {
                kind: UPDATE,
                payload,
                rfp_id: None,
                dedupe_key: Some(format!("{UPDATE}:{id}")),
                priority: PRIORITY,
                max_attempts: app.settings.workers.max_attempts,
            },
        )
        .await
    }
    .await;
    match stored {
        Ok(Some(_)) => StatusCode::OK.into_response(),
        Ok(None) => {
            tracing::info!(update = id, "Telegram delivered this update again: already stored");
            StatusCode::OK.into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store a Telegram update; Telegram will retry");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Handles one stored update; the job completes once it is handled.
pub async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let bot = super::bot(app)
        .map_err(StepError::Transient)?
        .ok_or_else(|| StepError::Transient(anyhow::anyhow!("the Telegram channel is not enabled")))?;
    let update: Update = serde_json::from_value(job.payload.clone())
        .map_err(|e| StepError::Permanent(format!("malformed Telegram update: {e}")))?;
    match super::receive::handle(app, &bot, Incoming::of(update)).await {
        Ok(()) => {}
        Err(e) if e.is_retryable() => return Err(StepError::Transient(anyhow::Error::new(e))),
        Err(e) => return Err(StepError::Permanent(e.to_string())),
    }
    crate::jobs::steps::complete_held(app, job).await
}

/// Registers the webhook with its secret, trying again until Telegram accepts it.
pub async fn register(app: App, bot: Bot, shutdown: CancellationToken) {
    let t = &app.settings.telegram;
    let secret = match t.webhook_secret() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "telegram webhook not registered");
            return;
        }
    };
    let mut wait = Duration::from_secs(1);
    loop {
        match bot.set_webhook(t.webhook_url.trim(), secret.expose_secret()).await {
            Ok(()) => {
                tracing::info!(url = %t.webhook_url, "telegram webhook registered");
                return;
            }
            Err(e) => tracing::warn!(error = %e, "telegram setWebhook failed; retrying"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = (wait * 2).min(Duration::from_secs(60));
    }
}
