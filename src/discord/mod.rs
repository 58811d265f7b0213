//! The Discord channel of the application: the gateway receiver (one session per bot across
//! every process, held by a PostgreSQL advisory lock) storing what arrives through the same
//! ingest as mail and Telegram, the approvers' buttons, and the replies that lifecycle events
//! call for. The REST and gateway clients are in `channels::discord`; its sender is
//! registered with the outbox.

pub mod callbacks;
pub mod catch_up;
pub mod notify;
pub mod receive;
pub mod replies;
pub mod settings;

use channels::discord::Bot;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::startup::App;

/// The bot client (when `discord.enabled`), for the receiver and the outbox registry.
pub fn bot(app: &App) -> anyhow::Result<Option<Bot>> {
    let d = &app.settings.discord;
    if !d.enabled {
        return Ok(None);
    }
    let cfg = d.client_config().map_err(|e| anyhow::anyhow!(e))?;
    Ok(Some(Bot::new(cfg).map_err(|e| anyhow::anyhow!("discord: {e}"))?))
}

/// For `horme config check`: whether the token is accepted (`GET /users/@me`), in one line
/// that never holds the token.
pub async fn check(settings: &crate::config::Settings) -> String {
    let d = &settings.discord;
    if !d.enabled {
        return "off".into();
    }
    let bot = match d
        .client_config()
        .map_err(channels::ChannelError::Permanent)
        .and_then(Bot::new)
    {
        Ok(b) => b,
        Err(e) => return format!("not live: {e}"),
    };
    match bot.get_me().await {
        Ok(me) => format!("live as {} (id {})", me.username, me.id),
        Err(e) => format!("not live: {e}"),
    }
}

/// Starts the receiver of the bot; it ends when `shutdown` is cancelled.
pub fn spawn(app: &App, bot: Bot, shutdown: &CancellationToken) -> JoinSet<()> {
    let mut tasks = JoinSet::new();
    tasks.spawn(receive::run_singleton(app.clone(), bot, shutdown.clone()));
    tracing::info!("discord channel started");
    tasks
}
