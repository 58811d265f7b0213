//! The replies the Telegram channel writes into the outbox, from `templates/replies/telegram/`.
//! Each has an idempotency key (`telegram:<kind>:<what>`), so writing it again is a no-op:
//! a duplicate update or a retried job answers once.

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
    crate::templates::render(&app.settings, &format!("replies/telegram/{name}"), vars)
        .trim_end()
        .to_string()
}

/// Queues the reply in the caller's transaction; false if it was queued before.
pub async fn queue(conn: &mut PgConnection, app: &App, r: ChatReply<'_>) -> Result<bool, sqlx::Error> {
    let recipient = match &r.thread {
        ThreadRef::Telegram { chat_id, .. } => Some(format!("telegram:chat:{chat_id}")),
        _ => None,
    };
    let reply = NewReply {
        idempotency_key: format!("telegram:{}", r.key),
        channel: ChannelKind::Telegram,
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
