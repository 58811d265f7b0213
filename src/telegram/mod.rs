//! The Telegram channel of the application: the long-polling receiver (one per bot across
//! every process, held by a PostgreSQL advisory lock) or the webhook (`webhook`) storing what arrives through the same
//! ingest as mail, the approvers' buttons, and the replies that lifecycle events call for.
//! The Bot API itself is in `channels::telegram`; its sender is registered with the outbox.

pub mod callbacks;
pub mod commands;
pub mod notify;
pub mod receive;
pub mod replies;
pub mod settings;
pub mod webhook;

use channels::telegram::Bot;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::startup::App;

/// The bot client (when `telegram.enabled`), for the receiver and the outbox registry.
pub fn bot(app: &App) -> anyhow::Result<Option<Bot>> {
    let t = &app.settings.telegram;
    if !t.enabled {
        return Ok(None);
    }
    let cfg = t.client_config().map_err(|e| anyhow::anyhow!(e))?;
    Ok(Some(Bot::new(cfg).map_err(|e| anyhow::anyhow!("telegram: {e}"))?))
}

/// Starts the receiver of the bot — the long-polling singleton, or with `webhook_url` the
/// webhook's registration (updates then arrive on the HTTP server) — ending when `shutdown`
/// is cancelled.
pub fn spawn(app: &App, bot: Bot, shutdown: &CancellationToken) -> JoinSet<()> {
    let mut tasks = JoinSet::new();
    if app.settings.telegram.uses_webhook() {
        tasks.spawn(webhook::register(app.clone(), bot, shutdown.clone()));
        tracing::info!("telegram channel started (webhook)");
    } else {
        tasks.spawn(receive::run_singleton(app.clone(), bot, shutdown.clone()));
        tracing::info!("telegram channel started (long polling)");
    }
    tasks
}
