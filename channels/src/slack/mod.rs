//! Slack: a Web API client ([`SlackClient`]), request-signature verification for the Events
//! API and interactivity ([`signature`]), events turned into what the application acts on
//! ([`Incoming`]), and the channel's [`ReplySender`] — replies in the message's thread
//! (`thread_ts`), files through `files.getUploadURLExternal` + `files.completeUploadExternal`,
//! buttons as a Block Kit actions block.

pub mod api;
pub mod signature;
pub mod socket;
pub mod types;

use futures::future::BoxFuture;

pub use api::{SlackClient, SlackConfig};
pub use socket::{Envelope, SocketConnection};
pub use types::{BlockActions, EventCallback, File, FileSharedEvent, MessageEvent};

use crate::{Attachment, ChannelError, ChannelKind, InboundMessage, Outgoing, ReplySender, Sender, ThreadRef};

/// What an event asks of the application.
#[derive(Debug, Clone)]
pub enum Incoming {
    /// A person's message with files or text.
    Message(MessageEvent),
    /// A file was shared (its message is found through `files.info`).
    FileShared(FileSharedEvent),
    /// Anything else (edits, deletions, bots, joins): nothing to do.
    Ignored,
}

/// Message subtypes that are a person writing (no subtype: plain text).
const PERSON_SUBTYPES: &[&str] = &["file_share", "thread_broadcast"];

impl Incoming {
    pub fn of(event: &serde_json::Value) -> Self {
        match event.get("type").and_then(|t| t.as_str()) {
            Some("message") => {
                let Ok(m) = serde_json::from_value::<MessageEvent>(event.clone()) else {
                    return Self::Ignored;
                };
                let person = m.user.is_some()
                    && m.bot_id.is_none()
                    && m.subtype.as_deref().is_none_or(|s| PERSON_SUBTYPES.contains(&s));
                if person && (!m.files.is_empty() || !m.text.trim().is_empty()) {
                    Self::Message(m)
                } else {
                    Self::Ignored
                }
            }
            Some("file_shared") => serde_json::from_value(event.clone())
                .map(Self::FileShared)
                .unwrap_or(Self::Ignored),
            _ => Self::Ignored,
        }
    }
}

/// The dedupe key of a message: `channel:ts` (a file_shared event of the same message
/// resolves to the same key).
pub fn external_id(m: &MessageEvent) -> String {
    format!("{}:{}", m.channel, m.ts)
}

/// The thread that answers `m`.
pub fn thread_of(m: &MessageEvent) -> ThreadRef {
    ThreadRef::Slack {
        channel: m.channel.clone(),
        thread_ts: m.reply_thread_ts().to_string(),
    }
}

/// A person's identity as approvers and allow-lists know it: `slack:<user id>`.
pub fn identity(user_id: &str) -> String {
    format!("slack:{user_id}")
}

/// The message as the application stores it, with its downloaded files.
pub fn inbound(m: &MessageEvent, files: Vec<Attachment>) -> InboundMessage {
    let user = m.user.clone().unwrap_or_default();
    InboundMessage {
        channel: ChannelKind::Slack,
        external_id: external_id(m),
        thread: thread_of(m),
        sender: Sender {
            address: identity(&user),
            // Slack events carry no names: a mention shows the person's name in Slack
            display_name: Some(format!("<@{user}>")),
        },
        subject: None,
        text: m.text.clone(),
        html: None,
        attachments: files,
        raw: serde_json::to_vec(m).ok(),
        forwarded_by: None,
    }
}

impl ReplySender for SlackClient {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Slack
    }

    /// Text alone is one message in the thread. Files are uploaded into the thread, the first
    /// with the text as its comment. With buttons (a draft for approval) the text and buttons
    /// come first as a message, and the files go into that message's thread; when an upload
    /// fails the message is deleted again, so that the drainer's retry leaves one draft.
    fn send<'a>(&'a self, out: &'a Outgoing) -> BoxFuture<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            let ThreadRef::Slack { channel, thread_ts } = &out.reply.thread else {
                return Err(ChannelError::Permanent("not a Slack thread".into()));
            };
            let r = &out.reply;
            let thread = Some(thread_ts.as_str()).filter(|t| !t.is_empty());
            if r.attachments.is_empty() {
                self.post_message(channel, thread, &r.text, &r.buttons).await?;
                return Ok(());
            }
            if r.buttons.is_empty() {
                let mut comment = r.text.as_str();
                for f in &r.attachments {
                    self.upload(channel, thread, &f.filename, f.content.clone(), comment)
                        .await?;
                    comment = "";
                }
                return Ok(());
            }
            let posted = self.post_message(channel, thread, &r.text, &r.buttons).await?;
            let into = thread.unwrap_or(&posted.ts);
            for f in &r.attachments {
                if let Err(e) = self
                    .upload(channel, Some(into), &f.filename, f.content.clone(), "")
                    .await
                {
                    if let Err(d) = self.delete_message(&posted.channel, &posted.ts).await {
                        tracing::warn!(error = %d, "cannot take back a draft whose file failed; the retry posts another");
                    }
                    return Err(e);
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn people_are_heard_and_bots_and_edits_are_not() {
        let m = json!({"type": "message", "channel": "C1", "user": "U1", "text": "10 gloves", "ts": "1.1"});
        assert!(matches!(Incoming::of(&m), Incoming::Message(_)));
        let file = json!({"type": "message", "subtype": "file_share", "channel": "C1", "user": "U1", "text": "",
                          "ts": "1.2", "files": [{"id": "F1", "name": "rfq.pdf"}]});
        assert!(matches!(Incoming::of(&file), Incoming::Message(_)));
        let bot = json!({"type": "message", "channel": "C1", "user": "U9", "bot_id": "B1", "text": "ack", "ts": "1.3"});
        assert!(matches!(Incoming::of(&bot), Incoming::Ignored));
        let edit = json!({"type": "message", "subtype": "message_changed", "channel": "C1", "ts": "1.4"});
        assert!(matches!(Incoming::of(&edit), Incoming::Ignored));
        let empty = json!({"type": "message", "channel": "C1", "user": "U1", "text": " ", "ts": "1.5"});
        assert!(matches!(Incoming::of(&empty), Incoming::Ignored));
        let shared = json!({"type": "file_shared", "file_id": "F1", "user_id": "U1", "channel_id": "C1",
                            "file": {"id": "F1"}, "event_ts": "1.6"});
        assert!(matches!(Incoming::of(&shared), Incoming::FileShared(_)));
    }

    #[test]
    fn replies_go_into_the_messages_thread() {
        let top: MessageEvent =
            serde_json::from_value(json!({"channel": "C1", "user": "U1", "text": "x", "ts": "5.0"})).expect("event");
        assert_eq!(
            thread_of(&top),
            ThreadRef::Slack {
                channel: "C1".into(),
                thread_ts: "5.0".into()
            }
        );
        let inner: MessageEvent = serde_json::from_value(
            json!({"channel": "C1", "user": "U1", "text": "x", "ts": "6.0", "thread_ts": "5.0"}),
        )
        .expect("event");
        assert_eq!(external_id(&inner), "C1:6.0");
        assert!(matches!(thread_of(&inner), ThreadRef::Slack { thread_ts, .. } if thread_ts == "5.0"));
        assert_eq!(inbound(&inner, vec![]).sender.address, "slack:U1");
    }
}
