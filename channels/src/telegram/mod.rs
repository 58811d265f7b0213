//! Telegram: a Bot API client ([`Bot`]), updates by long polling turned into what the
//! application acts on ([`Incoming`]), and the channel's [`ReplySender`] — text replies
//! threaded to the user's message (in its forum topic), files as documents, buttons as an
//! inline keyboard.
//!
//! Why not teloxide (which the issue named): the receiver must confirm an update (advance
//! `getUpdates`' offset) only after the application has stored it, under the advisory lock
//! that makes one process per bot poll, and a 429 must reach the outbox as
//! `ChannelError::RateLimited` (the lease, the retry and the metric live there) rather than be
//! waited out inside the client. The Bot API calls used here — getMe, getUpdates, getFile,
//! sendMessage, sendDocument, answerCallbackQuery, setWebhook, deleteWebhook — are a few
//! hundred lines on the reqwest already in the tree, pointed at a fake server by base URL
//! (`api_url`) in the tests exactly as in production.

pub mod api;
pub mod types;

use futures::future::BoxFuture;

pub use api::{Bot, MAX_DOWNLOAD_BYTES, Target, TelegramConfig};
pub use types::{CallbackQuery, Document, Message, Update, User};

use crate::{Attachment, ChannelError, ChannelKind, InboundMessage, Outgoing, ReplySender, Sender, ThreadRef};

/// What an update asks of the application.
#[derive(Debug, Clone)]
pub enum Incoming {
    /// A message with a document or text, from a person.
    Message(Message),
    /// An inline keyboard button was pressed.
    Callback(CallbackQuery),
    /// Anything else (edits, service messages, bots): nothing to do.
    Ignored,
}

impl Incoming {
    pub fn of(update: Update) -> Self {
        if let Some(q) = update.callback_query {
            return Self::Callback(q);
        }
        match update.message {
            Some(m)
                if m.from.as_ref().is_some_and(|u| !u.is_bot)
                    && (m.document.is_some() || m.text.as_deref().is_some_and(|t| !t.trim().is_empty())) =>
            {
                Self::Message(m)
            }
            _ => Self::Ignored,
        }
    }
}

/// The dedupe key of a message: `chat_id:message_id`.
pub fn external_id(m: &Message) -> String {
    format!("{}:{}", m.chat.id, m.message_id)
}

/// The thread that answers `m`: a reply to it, in its forum topic.
pub fn thread_of(m: &Message) -> ThreadRef {
    ThreadRef::Telegram {
        chat_id: m.chat.id,
        message_id: m.message_id,
        message_thread_id: m.topic(),
    }
}

/// The sender's identity as approvers and allow-lists know it: `telegram:<user id>`.
pub fn identity(u: &User) -> String {
    format!("telegram:{}", u.id)
}

/// The message as the application stores it, with its downloaded document (if any).
pub fn inbound(m: &Message, document: Option<Attachment>) -> InboundMessage {
    let from = m.from.clone();
    let text = m.text.clone().or_else(|| m.caption.clone()).unwrap_or_default();
    InboundMessage {
        channel: ChannelKind::Telegram,
        external_id: external_id(m),
        thread: thread_of(m),
        sender: Sender {
            address: from.as_ref().map(identity).unwrap_or_default(),
            display_name: from.as_ref().map(User::display_name),
        },
        subject: None,
        text,
        html: None,
        attachments: document.into_iter().collect(),
        raw: serde_json::to_vec(m).ok(),
        forwarded_by: None,
    }
}

impl ReplySender for Bot {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Telegram
    }

    /// A reply with attachments is sent as documents (the text as the first one's caption, or
    /// as a message before them when it is too long for a caption); the buttons go under the
    /// last message.
    fn send<'a>(&'a self, out: &'a Outgoing) -> BoxFuture<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            let ThreadRef::Telegram {
                chat_id,
                message_id,
                message_thread_id,
            } = out.reply.thread
            else {
                return Err(ChannelError::Permanent("not a Telegram thread".into()));
            };
            let to = Target {
                chat_id,
                message_thread_id,
                reply_to: message_id,
            };
            let r = &out.reply;
            let files = &r.attachments;
            let mut caption = r.text.as_str();
            if files.is_empty() || caption.chars().count() > api::MAX_CAPTION_CHARS {
                let buttons = if files.is_empty() { &r.buttons[..] } else { &[] };
                self.send_message(to, &r.text, buttons).await?;
                caption = "";
            }
            for (i, f) in files.iter().enumerate() {
                let last = i + 1 == files.len();
                let buttons = if last { &r.buttons[..] } else { &[] };
                let text = if i == 0 { caption } else { "" };
                self.send_document(to, &f.filename, &f.media_type, f.content.clone(), text, buttons)
                    .await?;
            }
            Ok(())
        })
    }
}
