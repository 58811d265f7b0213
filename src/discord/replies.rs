//! The replies the Discord channel writes into the outbox, from `templates/replies/discord/`
//! (Discord markdown). Each has an idempotency key (`discord:<kind>:<what>`), so writing it
//! again is a no-op: a replayed or duplicate event, or a retried job, answers once. The
//! reply's subject names the thread the first reply opens on the request message.

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

/// A template's text with its placeholders filled.
pub fn render(app: &App, name: &str, vars: &[(&str, String)]) -> String {
    crate::templates::render(&app.settings, &format!("replies/discord/{name}"), vars)
        .trim_end()
        .to_string()
}

/// The name of the thread opened on a request: with its reference when there is one.
fn thread_name(vars: &[(&str, String)]) -> String {
    match vars.iter().find(|(k, v)| *k == "reference" && !v.is_empty()) {
        Some((_, r)) => format!("Quotation request {r}"),
        None => "Quotation request".into(),
    }
}

/// Queues the reply in the caller's transaction; false if it was queued before.
pub async fn queue(conn: &mut PgConnection, app: &App, r: ChatReply<'_>) -> Result<bool, sqlx::Error> {
    let recipient = match &r.thread {
        ThreadRef::Discord { channel_id, .. } => Some(format!("discord:channel:{channel_id}")),
        _ => None,
    };
    let reply = NewReply {
        idempotency_key: format!("discord:{}", r.key),
        channel: ChannelKind::Discord,
        thread: r.thread,
        kind: r.kind.to_string(),
        subject: Some(thread_name(&r.vars)),
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
    fn the_thread_is_named_after_the_reference() {
        assert_eq!(
            thread_name(&[("name", "M".into()), ("reference", "RFP-1A2B".into())]),
            "Quotation request RFP-1A2B"
        );
        assert_eq!(thread_name(&[]), "Quotation request");
    }
}
