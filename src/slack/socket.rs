//! Socket Mode: the same events and button presses as the HTTP endpoints, over a websocket
//! we open (no public URL needed). Each envelope is stored as its job exactly as
//! [`super::http`] does — deduplicated by event id or trigger id — and only then acknowledged,
//! so an envelope whose storing failed is delivered again by Slack. The connection is reopened
//! with backoff when it drops, and at once when Slack asks (`disconnect`). Several processes
//! may each hold a connection: Slack spreads envelopes over them, and the job keys keep a
//! redelivery from being handled twice.

use std::time::Duration;

use channels::ChannelError;
use channels::slack::{Envelope, SlackClient, SocketConnection};
use secrecy::ExposeSecret;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::jobs;
use crate::startup::App;

/// Keeps a Socket Mode connection open until `shutdown`.
pub async fn run(app: App, client: SlackClient, shutdown: CancellationToken) {
    let token = match app.settings.slack.app_token() {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "slack socket mode cannot start");
            return;
        }
    };
    let mut pause = Duration::from_secs(1);
    while !shutdown.is_cancelled() {
        let wait = match client.open_socket(token.expose_secret()).await {
            Ok(conn) => {
                tracing::info!("slack socket mode connected");
                pause = Duration::from_secs(1);
                serve(&app, conn, &shutdown).await;
                Duration::from_millis(200)
            }
            Err(ChannelError::RateLimited { retry_after }) => {
                metrics::counter!("horme_channel_rate_limited_total", "channel" => "slack").increment(1);
                retry_after
            }
            Err(e) => {
                tracing::warn!(error = %e, "slack socket mode cannot connect; retrying");
                pause = (pause * 2).min(Duration::from_secs(30));
                pause
            }
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Handles envelopes until the connection ends, Slack asks to reconnect, or shutdown.
async fn serve(app: &App, mut conn: SocketConnection, shutdown: &CancellationToken) {
    loop {
        let next = tokio::select! {
            _ = shutdown.cancelled() => break,
            n = conn.next() => n,
        };
        let env = match next {
            Ok(Some(env)) => env,
            Ok(None) => {
                tracing::info!("slack closed the socket; reconnecting");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "slack socket failed; reconnecting");
                return;
            }
        };
        match env.kind.as_str() {
            "hello" => tracing::debug!("slack socket: hello"),
            "disconnect" => {
                tracing::info!(reason = ?env.reason, "slack asks to reconnect");
                break;
            }
            _ => {
                let Some(id) = env.envelope_id.clone() else { continue };
                if let Err(e) = store(app, &env).await {
                    // not acknowledged: Slack delivers it again
                    tracing::error!(error = %e, "cannot store a Slack envelope; Slack will retry");
                    continue;
                }
                if let Err(e) = conn.ack(&id).await {
                    tracing::warn!(error = %e, "cannot acknowledge a Slack envelope; reconnecting");
                    return;
                }
            }
        }
    }
    conn.close().await;
}

/// Stores an envelope's payload as its job (anything else is only acknowledged).
async fn store(app: &App, env: &Envelope) -> Result<(), sqlx::Error> {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let (kind, key) = match env.kind.as_str() {
        "events_api" if text(&env.payload, "type").as_deref() == Some("event_callback") => {
            match text(&env.payload, "event_id") {
                Some(id) => (jobs::EVENT, id),
                None => return Ok(()),
            }
        }
        "interactive" => {
            let key = text(&env.payload, "trigger_id")
                .or_else(|| env.envelope_id.clone())
                .unwrap_or_default();
            (jobs::INTERACTION, key)
        }
        other => {
            tracing::debug!(kind = other, "slack envelope ignored");
            return Ok(());
        }
    };
    if env.retry_attempt > 0 {
        tracing::info!(kind, key, retry = env.retry_attempt, "Slack retries an envelope");
    }
    let mut conn = app.pool.acquire().await?;
    if !jobs::store(&mut conn, app, kind, &key, env.payload.clone()).await? {
        metrics::counter!("horme_slack_duplicates_total").increment(1);
    }
    Ok(())
}
