//! The replies the Slack channel writes into the outbox, from `templates/replies/slack/`
//! (mrkdwn). Each has an idempotency key (`slack:<kind>:<what>`), so writing it again is a
//! no-op: a redelivered event or a retried job answers once.

use channels::{ChannelKind, ReplyButton, ThreadRef};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::outbox::{self, NewReply};
use crate::startup::App;

/// One reply to queue.
pub struct ChatReply<'a> {
    pub key: String,
    pub thread: ThreadRef,
    pub kind: &'a str,
    pub template: &'a str,
    pub vars: Vec<(&'static str, String)>,
    pub quotation_id: Option<Uuid>,
    pub rfp_id: Option<Uuid>,
    pub attach_pdf: bool,
    pub buttons: Vec<ReplyButton>,
}

/// Variables that are mrkdwn already (mentions we build): not escaped.
const MARKUP_VARS: &[&str] = &["name", "sender", "actor"];

/// Text for mrkdwn: Slack reads `&`, `<` and `>` as markup.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A mention of the person behind `slack:<user id>`; other identities as plain text.
pub fn mention(identity: &str) -> String {
    match identity.strip_prefix("slack:") {
        Some(user) if !user.is_empty() => format!("<@{}>", user.to_ascii_uppercase()),
        _ => escape(identity),
    }
}

/// A template's text with its placeholders filled (values escaped for mrkdwn).
pub fn render(app: &App, name: &str, vars: &[(&str, String)]) -> String {
    let vars: Vec<(&str, String)> = vars
        .iter()
        .map(|(k, v)| (*k, if MARKUP_VARS.contains(k) { v.clone() } else { escape(v) }))
        .collect();
    crate::templates::render(&app.settings, &format!("replies/slack/{name}"), &vars)
        .trim_end()
        .to_string()
}

/// Queues the reply in the caller's transaction; false if it was queued before.
pub async fn queue(conn: &mut PgConnection, app: &App, r: ChatReply<'_>) -> Result<bool, sqlx::Error> {
    let recipient = match &r.thread {
        ThreadRef::Slack { channel, .. } => Some(format!("slack:channel:{channel}")),
        _ => None,
    };
    let reply = NewReply {
        idempotency_key: format!("slack:{}", r.key),
        channel: ChannelKind::Slack,
        thread: r.thread,
        kind: r.kind.to_string(),
        subject: None,
        body: render(app, r.template, &r.vars),
        quotation_id: r.quotation_id,
        rfp_id: r.rfp_id,
        attach_pdf: r.attach_pdf,
        recipient,
        automatic: false,
        external_id: None,
    };
    outbox::enqueue_with_buttons(conn, &reply, &r.buttons).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_mentions_are_built() {
        assert_eq!(escape("<b>&co</b>"), "&lt;b&gt;&amp;co&lt;/b&gt;");
        assert_eq!(mention("slack:u123abc"), "<@U123ABC>");
        assert_eq!(mention("lead@x.test"), "lead@x.test");
        assert_eq!(mention("<!channel>"), "&lt;!channel&gt;");
    }
}
