//! The Slack channel of the application: Slack's signed requests (Events API, button presses)
//! received on the HTTP server and stored as jobs before they are acknowledged ([`http`]),
//! messages stored through the same ingest as mail ([`receive`]), the approvers' buttons
//! ([`interactions`]), and the replies that lifecycle events call for ([`notify`]); or the same
//! envelopes over a Socket Mode websocket ([`socket`]). The Web
//! API itself is in `channels::slack`; its sender is registered with the outbox.

pub mod http;
pub mod interactions;
pub mod jobs;
pub mod notify;
pub mod receive;
pub mod replies;
pub mod settings;
pub mod socket;

use channels::slack::SlackClient;

use crate::startup::App;

/// The Web API client (when `slack.enabled`), for the jobs and the outbox registry.
pub fn client(app: &App) -> anyhow::Result<Option<SlackClient>> {
    let s = &app.settings.slack;
    if !s.enabled {
        return Ok(None);
    }
    let cfg = s.client_config().map_err(|e| anyhow::anyhow!(e))?;
    Ok(Some(SlackClient::new(cfg).map_err(|e| anyhow::anyhow!("slack: {e}"))?))
}

/// For `horme config check`: whether the configured bot token works (`auth.test`), and as
/// whom. `None` when the channel is off.
pub async fn live(settings: &crate::config::Settings) -> Option<String> {
    let s = &settings.slack;
    if !s.enabled {
        return None;
    }
    let client = match s.client_config().map(SlackClient::new) {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return Some(format!("NOT live: {e}")),
        Err(e) => return Some(format!("NOT live: {e}")),
    };
    Some(match client.auth_test().await {
        Ok(me) => format!("live as {} ({}) in {} ({})", me.user, me.user_id, me.team, me.team_id),
        Err(e) => format!("NOT live: auth.test failed: {e}"),
    })
}
