//! Reading back what no gateway session saw. A dropped connection is resumed and Discord
//! replays what was missed, but a fresh session (the process was down, the session too old to
//! resume) starts from now: the allowed channels are read over REST from the newest stored
//! message on, and what is found is handled like dispatched messages.

use channels::discord::{Bot, Event};
use tokio_util::sync::CancellationToken;

use crate::startup::App;

/// Pages read back per channel after a fresh session, at most (100 messages each).
const CATCH_UP_PAGES: usize = 10;

/// After a fresh session Discord replays nothing written while no session was open (the
/// process down, a session too old to resume): the messages of each allowed channel since the
/// newest one stored are read back over REST and handled like dispatched ones — oldest first;
/// what was stored before answers nothing. A channel with nothing stored yet is not read back
/// (the bot does not answer history on its first start).
pub async fn run(app: &App, bot: &Bot, shutdown: &CancellationToken) {
    let channels = match submit_channels(app).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "discord catch-up: cannot list the channels");
            return;
        }
    };
    for channel in channels {
        let newest = match newest_stored(app, channel).await {
            Ok(Some(id)) => id,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(channel, error = %e, "discord catch-up: cannot read the newest stored message");
                continue;
            }
        };
        let guild = match bot.channel(channel).await {
            Ok(c) => c.guild_id,
            Err(e) => {
                tracing::warn!(channel, error = %e, "discord catch-up: cannot read the channel");
                continue;
            }
        };
        let mut after = newest;
        for _ in 0..CATCH_UP_PAGES {
            let mut page = match bot.messages_after(channel, after, 100).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(channel, error = %e, "discord catch-up: cannot read messages");
                    break;
                }
            };
            let full = page.len() == 100;
            page.sort_by_key(|m| m.id);
            for mut m in page {
                after = after.max(m.id);
                m.guild_id = guild;
                tracing::info!(
                    channel,
                    message = m.id,
                    "discord catch-up: a message written while no session was open"
                );
                super::receive::handle_until_done(app, bot, Event::MessageCreate(m), shutdown).await;
            }
            if !full || shutdown.is_cancelled() {
                break;
            }
        }
    }
}

/// The channels whose members may submit: `discord.allowed_channels` and `chat_access` rows.
async fn submit_channels(app: &App) -> Result<Vec<u64>, sqlx::Error> {
    let mut ids = app.settings.discord.allowed_channels.clone();
    let rows = sqlx::query_scalar!("select subject_id from chat_access where channel = 'discord' and scope = 'chat'")
        .fetch_all(&app.pool)
        .await?;
    ids.extend(rows.iter().filter_map(|r| r.trim().parse::<u64>().ok()));
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The id of the newest message stored from `channel` (snowflakes grow with time).
async fn newest_stored(app: &App, channel: u64) -> Result<Option<u64>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"select split_part(external_id, ':', 2) as "id!" from inbound_messages
           where channel = 'discord' and split_part(external_id, ':', 1) = $1
           order by length(split_part(external_id, ':', 2)) desc, split_part(external_id, ':', 2) desc
           limit 1"#,
        channel.to_string()
    )
    .fetch_optional(&app.pool)
    .await?;
    Ok(id.and_then(|s| s.parse().ok()))
}
