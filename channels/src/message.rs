//! The messages that cross the protocol edge, in both directions.

use serde::{Deserialize, Serialize};

/// Where a message came from or goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Email,
    Telegram,
    Slack,
    Discord,
    Http,
    Cli,
}

impl ChannelKind {
    /// The stable lowercase name stored in the database and shown in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Telegram => "telegram",
            Self::Slack => "slack",
            Self::Discord => "discord",
            Self::Http => "http",
            Self::Cli => "cli",
        }
    }
}

impl std::fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ChannelKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "email" => Self::Email,
            "telegram" => Self::Telegram,
            "slack" => Self::Slack,
            "discord" => Self::Discord,
            "http" => Self::Http,
            "cli" => Self::Cli,
            other => return Err(format!("unknown channel {other:?}")),
        })
    }
}

/// Enough of a conversation to answer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ThreadRef {
    /// A mail thread: we answer the message `message_id`, keeping its references and subject.
    Email {
        message_id: String,
        #[serde(default)]
        references: Vec<String>,
        subject: String,
        /// Where replies go (Reply-To, else From).
        reply_to: String,
    },
    /// A Telegram chat: we answer `message_id` (0: a new message in the chat), inside the
    /// forum topic `message_thread_id` when there is one.
    Telegram {
        chat_id: i64,
        message_id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_thread_id: Option<i64>,
    },
    Slack {
        channel: String,
        thread_ts: String,
    },
    /// A Discord channel: we answer `message_id` (0: a new message in the channel) — in a
    /// thread started on it when the channel is in a guild, as a reply in a direct message.
    Discord {
        channel_id: u64,
        message_id: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        guild_id: Option<u64>,
    },
    /// An upload through the HTTP API: answers are read back by polling.
    Http {
        request_id: String,
    },
    /// A one-shot run from the command line: answers are printed.
    Cli {
        run_id: String,
    },
}

impl ThreadRef {
    pub fn channel(&self) -> ChannelKind {
        match self {
            Self::Email { .. } => ChannelKind::Email,
            Self::Telegram { .. } => ChannelKind::Telegram,
            Self::Slack { .. } => ChannelKind::Slack,
            Self::Discord { .. } => ChannelKind::Discord,
            Self::Http { .. } => ChannelKind::Http,
            Self::Cli { .. } => ChannelKind::Cli,
        }
    }
}

/// Who sent a message, as the channel identifies them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// A mail address, a chat user id, an API token name.
    pub address: String,
    pub display_name: Option<String>,
}

/// A file that came with a message or goes with a reply.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("media_type", &self.media_type)
            .field("bytes", &self.content.len())
            .finish()
    }
}

/// One message received on a channel, before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundMessage {
    pub channel: ChannelKind,
    /// The platform's id of this message (Message-ID, update id, event id): the dedupe key.
    pub external_id: String,
    pub thread: ThreadRef,
    pub sender: Sender,
    pub subject: Option<String>,
    /// The plain-text body (for HTML-only mail, the HTML turned into text).
    pub text: String,
    /// The HTML body when there is one: tables in it may hold the items.
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// The message exactly as received (the `.eml` for mail), kept for audit and re-processing.
    pub raw: Option<Vec<u8>>,
    /// A colleague who passed the request on: then `sender`, `subject`, the text and the
    /// attachments are the original message's, and the thread answers the original sender.
    #[serde(default)]
    pub forwarded_by: Option<Sender>,
}

/// A button under a reply (an inline keyboard button in chat); `data` comes back to the
/// adapter when it is pressed. Mail has no buttons and ignores them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyButton {
    pub label: String,
    pub data: String,
}

/// One answer to send into a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundReply {
    pub thread: ThreadRef,
    pub text: String,
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub buttons: Vec<ReplyButton>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_round_trip() {
        for kind in [
            ChannelKind::Email,
            ChannelKind::Telegram,
            ChannelKind::Slack,
            ChannelKind::Discord,
            ChannelKind::Http,
            ChannelKind::Cli,
        ] {
            assert_eq!(kind.as_str().parse::<ChannelKind>(), Ok(kind));
        }
        assert!("fax".parse::<ChannelKind>().is_err());
    }

    #[test]
    fn thread_ref_serialises_with_its_kind_tag() {
        let t = ThreadRef::Slack {
            channel: "C1".into(),
            thread_ts: "1700000000.000100".into(),
        };
        let json = serde_json::to_value(&t).expect("serialise");
        assert_eq!(json["kind"], "slack");
        assert_eq!(t.channel(), ChannelKind::Slack);
        let back: ThreadRef = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back, t);
    }

    #[test]
    fn attachment_debug_does_not_dump_bytes() {
        let a = Attachment {
            filename: "rfq.pdf".into(),
            media_type: "application/pdf".into(),
            content: vec![0; 4096],
        };
        let s = format!("{a:?}");
        assert!(s.contains("4096"));
        assert!(!s.contains("0, 0"));
    }
}
